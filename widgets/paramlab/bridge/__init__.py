"""The Keras bridge: `explain(model)` reads built Keras layers into the core's formulas (the
adapters, chosen by class along the MRO) and checks every term against the layer's weights.
It imports keras and `paramlab.core`; nothing in the core imports it."""

"""The workshop JupyterHub of `make hub` (`python -m hub.run`): its settings (`hub.workshop`),
sign-in (`hub.authenticator`), JupyterHub's config file, and a learner's client of it
(`hub.client`) for the tests and the classroom benchmark."""

"""The question family: `Quiz`, `Choice` and `Predict` on one base that owns the feedback line,
the error guard, the static stand-in and the attempt counting."""

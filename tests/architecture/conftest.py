"""Architecture tests: imports point one way, checked by importing each layer in a fresh interpreter.
Marked `architecture`."""

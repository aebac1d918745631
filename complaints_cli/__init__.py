"""complaints: the Spruce Complaints Log as a command-line case tracker."""

__version__ = "0.1.0"

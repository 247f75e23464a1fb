"""ParkDesk's Qt user interface: a layer on top of the Qt-free core in ``parkdesk``."""

"""ParkDesk (园区工作台) core: storage, domain rules, computations and report writers.

This package never imports Qt; the GUI in ``ui/`` is a layer on top of it.
"""

__version__ = "0.1.0"
APP_NAME = "园区工作台 ParkDesk"
APP_ID = "cn.parkdesk.parkdesk"

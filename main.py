"""ParkDesk (园区工作台): parse the arguments, then start the GUI or run a command."""

import sys


def main(argv=None) -> int:
    from parkdesk.cli import build_parser, run_command

    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.app import run_gui

        return run_gui(args)
    if args.command == "report" and getattr(args, "pdf", None):
        from ui.report.pdf import install  # the core draws PDF through the Qt renderer

        install()
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())

"""`dv demo` and `dv demo-data` (pipelines/demo/)."""

from __future__ import annotations

import argparse

from generator.errors import output_error
from pipelines.cli.common import out


def cmd_demo(args: argparse.Namespace) -> int:
    from pipelines.demo import sample as demo

    result = demo.run(args.project, demo.find_server(args.dsn, args.project, out), progress=out)
    demo.report(result, out)
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from pipelines.demo.platform.clock import Config
    from pipelines.demo.platform.database import source_dsn
    from pipelines.demo.platform.run import report, run

    cfg = Config(seed=args.seed, scale=args.scale, days=args.days, defect_rate=args.defect_rate)
    landing = args.project / args.landing
    try:
        result = run(cfg, landing, source_dsn(args.source_dsn), progress=out)
    except OSError as exc:
        raise output_error(exc, landing, "the simulated platform's files") from None
    report(result, out)
    return 0

"""The `followup` command (and `python -m followup`): the CLI, started without the cyclic garbage collector.

Start-up (imports, the pack, compiled templates) makes objects that live as long as the process and
no garbage cycles, so collecting during it only costs time. `batch.collect_garbage` turns the
collector on before the first notes file is read.
"""

import gc


def main() -> None:
    gc.disable()
    from followup.cli import main as cli

    cli()


if __name__ == "__main__":
    main()

"""Risk commands: build the model from the training posts, and score a CSV of posts with the detector."""

from __future__ import annotations

from pathlib import Path

import click

from react_toolkit.commands import react


@react.command("train-risk")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
def train_risk_command(out_path: Path | None) -> None:
    """Choose settings by cross-validation, train the risk model and write its file (a few minutes)."""
    from react_toolkit.risk.classifier import MODEL_FILE
    from react_toolkit.risk.services import shipped_phrases
    from react_toolkit.risk.training import train

    path = out_path or MODEL_FILE
    choice = train(shipped_phrases(), path)
    click.echo(
        f"Wrote {path}: C={choice.c}, threshold {choice.threshold:.3f}; on training folds "
        f"recall {choice.recall:.3f}, precision {choice.precision:.3f}."
    )


@react.command("risk-score")
@click.argument("in_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out_path", type=click.Path(dir_okay=False, path_type=Path))
def risk_score_command(in_path: Path, out_path: Path) -> None:
    """Score every row of a CSV with a text column; write it with score, is_risk, categories and action."""
    from react_toolkit.risk.services import LexiconError, score_file

    with (
        in_path.open(encoding="utf-8", newline="") as source,
        out_path.open("w", encoding="utf-8", newline="") as target,
    ):
        try:
            rows, risky = score_file(source, target)
        except LexiconError as error:
            raise click.ClickException(error.message) from error
    click.echo(f"Scored {rows} rows: {risky} risk. Written to {out_path}.")

"""E-mail drafts into the case folder: the organisational learning (``learning
--draft-email``). Imported only when a draft is asked for."""

from __future__ import annotations

from pathlib import Path

import typer

from complaints_cli.cli.options import open_raw, settings, today
from complaints_cli.errors import ComplaintsError


class LearningDraft:
    """Checks everything a learning draft needs before the learning is saved (recipients in
    the config, the case, its folder inside the root); :meth:`write` then writes the draft
    from the case as saved."""

    def __init__(self, ctx: typer.Context, reference: str) -> None:
        from complaints_cli.cli.roots import TeamRoot
        from complaints_cli.files.email_draft import check_addresses
        from complaints_cli.store import reads

        self.cfg = settings(ctx)
        configured = self.cfg.learning_recipients
        if not configured.value:
            raise ComplaintsError(
                "no learning_recipients in the config: add the Senior Property Manager's and "
                'the Head of Service\'s addresses (learning_recipients = ["spm@...", '
                '"hos@..."] in the team config file, or COMPLAINTS_LEARNING_RECIPIENTS)'
            )
        self.to = check_addresses(
            list(configured.value), f"learning_recipients (from {configured.source})"
        )
        with open_raw(self.cfg) as db:
            case = reads.get_case(db, reference)
            self.reference = case.reference
            self.folder: Path = TeamRoot(self.cfg, db, claim=False).case_folder(case)

    def write(self) -> Path:
        from complaints_cli.domain.handler_mail import learning_message
        from complaints_cli.files.email_draft import draft_bytes
        from complaints_cli.files.safe_save import save_new
        from complaints_cli.store import reads

        day = today()
        with open_raw(self.cfg) as db:
            case = reads.get_case(db, self.reference)
        message = learning_message(case, today=day)
        data = draft_bytes(to=self.to, subject=message.subject, body=message.body)
        path = save_new(
            self.folder, f"{self.reference} Learning email DRAFT {day.isoformat()}", ".eml", data
        )
        typer.echo(f"Wrote {path}")
        typer.echo(
            "It opens in Outlook as a draft, to "
            f"{', '.join(self.to)}: check it, send it, then "
            f"complaints learning {self.reference} --sent"
        )
        return path

"""Research exports for researchers and admins: choose, download, and see the export log."""

from __future__ import annotations

import tempfile
from datetime import timedelta

from flask import Blueprint, render_template, send_file
from flask_login import current_user, login_required

from react_toolkit.core.access import only
from react_toolkit.core.refusal import Refusal
from react_toolkit.research import exports, services
from react_toolkit.research.forms import FORMAT_NAMES, KIND_NAMES, ExportForm
from react_toolkit.research.permissions import can_export_research

bp = Blueprint("research", __name__)

# Exports larger than this go to a temporary file on disk rather than memory.
SPOOL_BYTES = 16 * 1024 * 1024


def _render(form: ExportForm, status: int = 200):
    return render_template(
        "research/list_exports.html",
        form=form,
        log=services.recent_exports(),
        kind_names=KIND_NAMES,
        format_names=FORMAT_NAMES,
        one_day=timedelta(days=1),
        log_length=services.LOG_LENGTH,
    ), status


@bp.get("/research/exports")
@login_required
@only(can_export_research)
def list_exports():
    return _render(ExportForm(formdata=None, data={"kind": "usage", "format": "csv"}))


@bp.post("/research/exports")
@login_required
@only(can_export_research)
def download_export():
    form = ExportForm()
    if form.validate_on_submit():
        since, until = form.window()
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        try:
            record = services.export(current_user, form.kind.data, form.format.data, since, until, spool)
        except Refusal as error:
            spool.close()
            form[error.field].errors.append(error.message)
        else:
            # The log row is committed before any byte leaves.
            spool.seek(0)
            response = send_file(
                spool,
                mimetype=exports.MIMETYPES[record.format],
                as_attachment=True,
                download_name=services.file_name(record),
            )
            response.headers["Cache-Control"] = "no-store"
            return response
    return _render(form, 400)

"""foundations: job progress (done / total / message)

Revision ID: 0003_foundations
Revises: 0002_security
Create Date: 2026-12-04 07:27:47.460454

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_foundations"
down_revision = "0002_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress_done", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("progress_total", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("progress_message", sa.String(length=300), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("progress_message")
        batch_op.drop_column("progress_total")
        batch_op.drop_column("progress_done")

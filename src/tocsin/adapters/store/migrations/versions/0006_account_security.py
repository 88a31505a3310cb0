"""Account security: cleartext allowed per account, one transmitter identity per node, messages stored once.

- ``account.allow_cleartext``: an account with a key accepts unencrypted frames only when this is set.
- ``account``: (receiver, line, number) unique on the node across tenants, not per tenant, since a frame
  carries nothing else to say whose panel sent it. A database that already holds such a triple in two
  tenants cannot take the constraint: the upgrade stops and names the transmitters to renumber.
- ``signal.retransmission_key``: unique, so copies of one message are stored once whichever process or
  node receives them (``Signal.stored_once_key``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tocsin.domain.errors import Conflict

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _refuse_ambiguous_accounts()
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("allow_cleartext", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.drop_constraint("uq_account_tenant_id", type_="unique")
        batch_op.create_unique_constraint("uq_account_receiver", ["receiver", "line", "number"])
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retransmission_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_signal_retransmission_key", ["retransmission_key"])


def downgrade() -> None:
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.drop_constraint("uq_signal_retransmission_key", type_="unique")
        batch_op.drop_column("retransmission_key")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_constraint("uq_account_receiver", type_="unique")
        batch_op.create_unique_constraint("uq_account_tenant_id", ["tenant_id", "receiver", "line", "number"])
        batch_op.drop_column("allow_cleartext")


def _refuse_ambiguous_accounts() -> None:
    """Stop with the way out when two tenants hold the same transmitter identity."""
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT receiver, line, number FROM account GROUP BY receiver, line, number"
                " HAVING COUNT(*) > 1 ORDER BY receiver, line, number"
            )
        )
        .all()
    )
    if clashes:
        named = ", ".join(f"R{r} L{ln} #{n}" for r, ln, n in clashes)
        raise Conflict(
            f"Transmitters {named} are declared in more than one tenant; a receiver, line and account"
            " number must name one transmitter on the node. Give one of each pair another receiver or"
            " line prefix, then run `tocsin db upgrade` again."
        )

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import AccessError, UserError


class ContactImportLineMixin(models.AbstractModel):
    """The lines of a wizard (its columns, problems, companies, suggestions): written by
    the wizard's steps, from what the engine found. A user changes only the choices the
    form offers (``_user_fields``) and never moves a line to another wizard: record rules
    check a record as it is before a write, not the parent it is given."""

    _name = "contact.import.line.mixin"
    _description = "Contact Import Wizard Line"
    _user_fields = frozenset()
    # The wizard's step at which a user makes these choices (None: at any step): what
    # Review showed is what Import does.
    _user_step = None

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._("The lines of an import are made by its steps, not created directly.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) - self._user_fields:
            raise AccessError(
                self.env._(
                    "Only these choices of a line can be changed: %(fields)s.",
                    fields=", ".join(sorted(self._user_fields)) or "-",
                )
            )
        if (
            not self.env.su
            and self._user_step
            and any(line.wizard_id.state != self._user_step for line in self)
        ):
            wizards = self.env[self._fields["wizard_id"].comodel_name]
            raise UserError(
                self.env._(
                    "These choices are made at the %(step)s step: go back to it.",
                    step=wizards._step_label(self._user_step),
                )
            )
        return super().write(vals)

    def unlink(self):
        # a line dropped changes what the import does (a column no longer read) after Review
        if not self.env.su:
            raise AccessError(self.env._("The lines of an import are removed by its steps only."))
        return super().unlink()

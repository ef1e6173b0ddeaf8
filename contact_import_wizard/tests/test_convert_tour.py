from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestConvertTour(HttpCase):
    def test_convert_to_customer_in_the_browser(self):
        new_test_user(
            self.env,
            login="cim_convert_tour",
            groups="base.group_user,base.group_partner_manager",
            name="Tour",
        )
        tina = self.env["res.partner"].create(
            {"name": "Tina Tour", "company_name": "Tour Convert Ltd", "email": "tina@tourconvert.example"}
        )
        self.start_tour(f"/odoo/contacts/{tina.id}", "contact_convert_tour", login="cim_convert_tour")
        company = tina.parent_id
        self.assertEqual((company.name, company.is_company), ("Tour Convert Ltd", True))
        self.assertEqual(company.website, "https://tourconvert.example")
        log = self.env["contact.import.log"].search([("kind", "=", "conversion")])
        self.assertEqual(
            (log.state, log.user_id.login, log.contacts_updated), ("done", "cim_convert_tour", 1)
        )

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "tsunagu.referrals"
    label = "referrals"

    def ready(self) -> None:
        # The case page's panel; where she was sent masked in a case's texts for those who
        # may not locate her; the referral a hand-off (他機関へつなぎ) sends.
        from tsunagu.cases.panels import register_case_panel, register_location_mask
        from tsunagu.cases.transitions import handed_off
        from tsunagu.referrals import access, flow, panels

        register_case_panel(panels.case_panel)
        register_location_mask(access.hide_destinations)
        handed_off.connect(flow.send_from_handoff, dispatch_uid="referrals.send_from_handoff")

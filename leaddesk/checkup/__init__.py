"""What a machine needs before LeadDesk can run there: the checks ``leaddesk --self-test``
prints and the window's start-up makes before Qt is asked for a platform."""

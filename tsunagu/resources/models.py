"""The social-resource directory (社会資源), its HSDS exchange and the matching to cases."""

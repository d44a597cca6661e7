"""Words of support: short messages friends and visitors leave on a drive, shown once its organisers approve them."""

"""Places: the offline city data set and where clinics are."""

"""Trusts (sites), their Early Intervention in Psychosis teams, caseloads and service hours."""

"""ETL: the contract, reading exports, the warehouse and the load job."""

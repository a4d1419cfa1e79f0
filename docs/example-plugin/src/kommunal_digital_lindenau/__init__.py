"""Example plugin of the fictional Digitalagentur Lindenau."""

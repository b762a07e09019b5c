"""The briefing's content, apart from rendering it (analysis.report).

* `markdown`: the one choke point for data strings on their way to markdown (md_escape), and
  the pipe tables;
* `values`: every value the prose quotes, computed from the tables;
* `tables`: the generated tables and lists (the includes);
* `ar` / `en`: how each language words numbers, counts, dates and periods.
"""

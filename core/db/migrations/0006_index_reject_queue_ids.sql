-- A search for a queue id also looks for rejects of that queue id (a cleanup or milter reject
-- after the queue file was made). Without an index, it read every reject row kept: about
-- 200,000 a day at the seed's scale, most of them NOQUEUE rejects with no queue id at all. The
-- index holds only the rows with one; `qid = ?` implies `qid IS NOT NULL`, so SQLite uses it.
CREATE INDEX rejects_qid ON rejects(qid) WHERE qid IS NOT NULL;

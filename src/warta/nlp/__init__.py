"""Language processing over article bodies: tokens, sentences, and the entity work built on them.

``tokens`` and ``sentences`` are rule-based and generic; what they know about a language
(abbreviations, time words, zones) is read from the data files under ``warta/lang/<code>/``.
"""

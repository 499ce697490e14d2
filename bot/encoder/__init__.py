"""Sentence encoders without torch: the question encoder the bot serves with.

``python -m bot build`` encodes the corpus with sentence-transformers (on
torch). To answer questions the bot needs the very same model, but loading
torch costs seconds and hundreds of megabytes for one short question at a
time. This package runs that model's transformer as an ONNX graph on
onnxruntime, tokenised by the model's own ``tokenizers`` tokenizer, with the
model's sentence-transformers pooling and normalisation done in numpy
(:mod:`bot.encoder.pooling`). The ONNX file is exported from the installed
weights on first need (:mod:`bot.encoder.export`, the only module here that
imports torch) into a cache folder keyed by the weights' hash
(:mod:`bot.encoder.cache`); nothing model-sized is committed.
"""

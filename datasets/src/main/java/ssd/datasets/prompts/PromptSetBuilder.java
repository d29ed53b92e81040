package ssd.datasets.prompts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.datasets.corpus.CorpusBuilder;
import ssd.datasets.corpus.Digest;
import ssd.common.AtomicFiles;
import ssd.datasets.io.Jsonl;
import ssd.datasets.shards.TokenShards;
import ssd.datasets.shards.TokenSplit;
import ssd.decoder.tokenizer.Gpt2Tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ssd prompts build}: HumanEval-style prompts from the validation split of a token corpus (files the
 * models never train on). Selection is deterministic: files in corpus order (by content hash), each file's
 * candidates ordered by the hash of their text, then taken round-robin across files so no module dominates.
 */
public final class PromptSetBuilder {
    public static final String TASK_PREFIX = "builtin/";

    /**
     * @param source    the file it came from, relative to its corpus root ("" when files.tsv is absent)
     * @param tokens    GPT-2 tokens in the prompt
     */
    public record BuiltPrompt(String taskId, String prompt, String entryPoint, String canonicalSolution, String source,
                              int tokens) {
    }

    public record Limits(int count, int minTokens, int maxTokens) {
        public static final int DEFAULT_COUNT = 164, MIN_TOKENS = 20, MAX_TOKENS = 600;

        public Limits {
            if (count < 1) throw new IllegalArgumentException("--n must be at least 1, got " + count);
            if (minTokens < 1 || maxTokens < minTokens) {
                throw new IllegalArgumentException("token limits must satisfy 1 <= min <= max, got " + minTokens + ".." + maxTokens);
            }
        }
    }

    private PromptSetBuilder() {
    }

    public static List<BuiltPrompt> build(Path corpusDir, Limits limits) {
        TokenShards corpus = TokenShards.open(corpusDir);
        TokenSplit val = corpus.split(TokenShards.VAL);
        Map<String, String> sources = sourcesByHash(corpusDir);
        Gpt2Tokenizer tok = Gpt2Tokenizer.get();

        List<List<BuiltPrompt>> perFile = new ArrayList<>();
        for (Iterator<int[]> docs = val.documents(); docs.hasNext(); ) {
            String text = tok.decode(docs.next());
            String source = sources.getOrDefault(Digest.sha256(text.getBytes(StandardCharsets.UTF_8)).hex(), "");
            List<BuiltPrompt> fits = new ArrayList<>();
            for (PromptCandidate c : PromptExtractor.extract(text)) {
                int n = tok.encode(c.prompt()).length;
                if (n >= limits.minTokens() && n <= limits.maxTokens()) {
                    fits.add(new BuiltPrompt("", c.prompt(), c.entryPoint(), c.body(), source, n));
                }
            }
            fits.sort(Comparator.comparing(p -> Digest.sha256(p.prompt().getBytes(StandardCharsets.UTF_8))));
            if (!fits.isEmpty()) perFile.add(fits);
        }
        List<BuiltPrompt> chosen = roundRobin(perFile, limits.count());
        if (chosen.size() < limits.count()) {
            throw new IllegalArgumentException("the validation split of " + corpusDir + " yields only " + chosen.size()
                    + " prompts of " + limits.minTokens() + "-" + limits.maxTokens() + " tokens, fewer than --n "
                    + limits.count() + "; build the corpus with a larger --val-percent or more roots");
        }
        return chosen;
    }

    private static List<BuiltPrompt> roundRobin(List<List<BuiltPrompt>> perFile, int count) {
        List<BuiltPrompt> out = new ArrayList<>();
        Set<String> seen = new HashSet<>(); // near-identical modules can share a function verbatim
        for (int round = 0; out.size() < count; round++) {
            boolean any = false;
            for (List<BuiltPrompt> file : perFile) {
                if (round >= file.size() || out.size() == count) continue;
                any = true;
                BuiltPrompt p = file.get(round);
                if (seen.add(p.prompt())) {
                    out.add(new BuiltPrompt(TASK_PREFIX + out.size(), p.prompt(), p.entryPoint(), p.canonicalSolution(),
                            p.source(), p.tokens()));
                }
            }
            if (!any) break;
        }
        return out;
    }

    /** Writes the set as JSONL in the HumanEval schema (plus "source"), atomically. */
    public static void write(Path out, List<BuiltPrompt> prompts) {
        AtomicFiles.writeResumable(out, os -> {
            for (BuiltPrompt p : prompts) {
                ObjectNode row = Jsonl.mapper().createObjectNode();
                row.put("task_id", p.taskId());
                row.put("prompt", p.prompt());
                row.put("entry_point", p.entryPoint());
                row.put("canonical_solution", p.canonicalSolution());
                row.put("test", "");
                row.put("source", p.source());
                os.write(Jsonl.mapper().writeValueAsBytes(row));
                os.write('\n');
            }
        });
    }

    /** Content hash to path below its root, from the corpus's files.tsv (absent: no sources). */
    private static Map<String, String> sourcesByHash(Path corpusDir) {
        Path tsv = corpusDir.resolve(CorpusBuilder.FILES_TSV);
        Map<String, String> out = new HashMap<>();
        if (!Files.isRegularFile(tsv)) return out;
        try (Stream<String> lines = Files.lines(tsv)) {
            lines.skip(1).map(l -> l.split("\t", 5)).filter(f -> f.length == 5 && f[0].equals(TokenShards.VAL))
                    .forEach(f -> out.put(f[1], f[4]));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tsv + ": " + e.getMessage(), e);
        }
        return out;
    }
}

package ssd.decoder.decoding;

import ssd.decoder.model.GPT2Model;
import ssd.decoder.model.KVCache;
import ssd.decoder.model.Logits;
import ssd.decoder.ngram.KatzTrigram;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Grows the oracle's batch for one round of staged speculative decoding.
 *
 * <p>Stage one: a tree expanded best-first by path probability under the draft. Each draft forward expands up to
 * {@code beamWidth} of the most probable unexpanded candidates at once (a tree batch on the draft's own cache),
 * revealing their top-m children. Only candidates that would make the final batch are expanded, so the draft runs
 * once per level and never on nodes that end up as leaves for lack of budget.
 *
 * <p>Stage two: below every node it expands, the n-gram proposes a chain of {@code ngramLookahead} tokens, and the
 * draft scores those in the same forward. Where the n-gram guessed what the draft would pick, one draft forward
 * reveals several levels, so far fewer sequential draft forwards build the tree.
 *
 * <p>The batch is the root plus the {@code treeBudget - 1} most probable revealed candidates; path probability never
 * rises along a path, so that set is a tree.
 */
final class TreeBuilder {
    private static final class Candidate {
        final int id, parent, token, depth;
        final TokenOrigin origin;
        double pathProb = Double.NaN; // known once the draft has scored the parent
        int draftNode = -1;           // pending index in the draft cache once the draft has read this token
        final Map<Integer, Integer> childByToken = new HashMap<>();

        Candidate(int id, int parent, int token, int depth, TokenOrigin origin) {
            this.id = id;
            this.parent = parent;
            this.token = token;
            this.depth = depth;
            this.origin = origin;
        }
    }

    /** The entries of one draft forward: tokens with their parents among the draft's pending nodes. */
    private static final class DraftBatch {
        final int firstPending;
        final List<Integer> tokens = new ArrayList<>();
        final List<Integer> parents = new ArrayList<>();
        final List<Candidate> candidates = new ArrayList<>(); // null for backlog tokens

        DraftBatch(int firstPending) {
            this.firstPending = firstPending;
        }

        int add(int token, int parentPending, Candidate candidate) {
            tokens.add(token);
            parents.add(parentPending);
            candidates.add(candidate);
            return firstPending + tokens.size() - 1;
        }
    }

    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble((Candidate c) -> -c.pathProb)
            .thenComparingInt(c -> c.depth).thenComparingInt(c -> c.id);

    private final GPT2Model draft;
    private final KatzTrigram ngram;
    private final StagedConfig config;

    TreeBuilder(GPT2Model draft, KatzTrigram ngram, StagedConfig config) {
        this.draft = draft;
        this.ngram = config.ngramLookahead() > 0 ? ngram : null;
        this.config = config;
    }

    /** @param maxDepth deepest proposal worth making this round (context room, tokens left to emit) */
    Proposal build(KVCache draftCache, TokenSequence seq, int maxDepth, SamplingConfig sampling, DecodeStats stats) {
        List<Candidate> all = new ArrayList<>();
        Candidate root = new Candidate(0, -1, seq.last(), 0, TokenOrigin.ORACLE);
        root.pathProb = 1.0;
        all.add(root);
        int[] backlog = seq.backlog(draftCache.length());
        int budget = config.treeBudget() - 1;
        int depthLimit = Math.min(maxDepth, draftRoom(draftCache, backlog.length));
        List<Candidate> frontier = depthLimit > 0 ? List.of(root) : List.of();
        for (int level = 0; level < config.maxDepth() && !frontier.isEmpty(); level++) {
            DraftBatch batch = new DraftBatch(draftCache.pendingCount());
            if (level == 0) {
                int prev = -1;
                for (int i = 0; i < backlog.length; i++) prev = batch.add(backlog[i], prev, i == backlog.length - 1 ? root : null);
                root.draftNode = prev;
                addNgramChain(all, root, seq, depthLimit, batch, stats);
            } else {
                for (Candidate f : frontier) {
                    f.draftNode = batch.add(f.token, all.get(f.parent).draftNode, f);
                    addNgramChain(all, f, seq, depthLimit, batch, stats);
                }
            }
            int[] tokens = batch.tokens.stream().mapToInt(Integer::intValue).toArray();
            int[] parents = batch.parents.stream().mapToInt(Integer::intValue).toArray();
            // Children already in the tree (n-gram chains) need the draft's probability whether or not it is top-m.
            List<Integer> knownRows = new ArrayList<>(), knownTokens = new ArrayList<>();
            for (int row = 0; row < tokens.length; row++) {
                Candidate c = batch.candidates.get(row);
                if (c == null || c.depth >= depthLimit) continue;
                for (int token : c.childByToken.keySet()) {
                    knownRows.add(row);
                    knownTokens.add(token);
                }
            }
            long t0 = System.nanoTime();
            try (Logits logits = draft.forward(draftCache, tokens, parents);
                 DraftScores scores = new DraftScores(logits, config.children(), sampling,
                         knownRows.stream().mapToInt(Integer::intValue).toArray(), knownTokens.stream().mapToInt(Integer::intValue).toArray())) {
                stats.draftForward(logits.stats(), System.nanoTime() - t0);
                for (int row = 0; row < tokens.length; row++) {
                    Candidate c = batch.candidates.get(row);
                    if (c != null) reveal(all, c, scores, row, depthLimit);
                }
            }
            frontier = nextFrontier(all, budget);
        }
        return select(all, budget);
    }

    private int draftRoom(KVCache draftCache, int backlogLength) {
        // The root sits at position length + backlog - 1 in the draft; a proposal at depth d at that + d.
        return draft.config().nPositions() - 1 - (draftCache.length() + backlogLength - 1);
    }

    /** Below {@code from}, the n-gram's greedy chain, added to the batch so the draft scores it in the same forward. */
    private void addNgramChain(List<Candidate> all, Candidate from, TokenSequence seq, int depthLimit, DraftBatch batch, DecodeStats stats) {
        if (ngram == null) return;
        int[] history = historyOf(all, from, seq);
        Candidate prev = from;
        for (int j = 0; j < config.ngramLookahead() && prev.depth + 1 < depthLimit; j++) {
            long t0 = System.nanoTime();
            int token = ngram.topM(history, 1).tokens()[0];
            stats.ngramQueries(1, System.nanoTime() - t0);
            if (prev.childByToken.containsKey(token)) break;
            Candidate c = new Candidate(all.size(), prev.id, token, prev.depth + 1, TokenOrigin.NGRAM);
            all.add(c);
            prev.childByToken.put(token, c.id);
            c.draftNode = batch.add(token, prev.draftNode, c);
            history = new int[]{history[history.length - 1], token};
            prev = c;
        }
    }

    /** The last two tokens ending at {@code node} (through the tree, then the settled sequence). */
    private static int[] historyOf(List<Candidate> all, Candidate node, TokenSequence seq) {
        List<Integer> h = new ArrayList<>();
        for (Candidate x = node; h.size() < 2; x = all.get(x.parent)) {
            h.add(0, x.token);
            if (x.parent < 0) break;
        }
        if (h.size() < 2) {
            int[] before = seq.history(seq.size() - 1, 2 - h.size());
            for (int i = before.length - 1; i >= 0; i--) h.add(0, before[i]);
        }
        return h.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Scores the children of a candidate the draft just read: its top-m, and any n-gram child already in the tree. */
    private void reveal(List<Candidate> all, Candidate c, DraftScores scores, int row, int depthLimit) {
        if (c.depth >= depthLimit) return;
        int[] tokens = scores.topTokens(row);
        for (int token : tokens) {
            if (c.childByToken.containsKey(token)) continue;
            Candidate child = new Candidate(all.size(), c.id, token, c.depth + 1, TokenOrigin.DRAFT);
            all.add(child);
            c.childByToken.put(token, child.id);
        }
        for (Map.Entry<Integer, Integer> e : c.childByToken.entrySet()) {
            Candidate child = all.get(e.getValue());
            if (Double.isNaN(child.pathProb)) child.pathProb = c.pathProb * scores.prob(row, e.getKey());
        }
    }

    private List<Candidate> ranked(List<Candidate> all) {
        return all.subList(1, all.size()).stream().filter(c -> !Double.isNaN(c.pathProb)).sorted(BEST_FIRST).toList();
    }

    /** Up to beamWidth unexpanded candidates among those that would make the final batch as it stands now. */
    private List<Candidate> nextFrontier(List<Candidate> all, int budget) {
        List<Candidate> ranked = ranked(all);
        List<Candidate> frontier = new ArrayList<>();
        for (int i = 0; i < Math.min(budget, ranked.size()) && frontier.size() < config.beamWidth(); i++) {
            Candidate c = ranked.get(i);
            if (c.draftNode < 0 && all.get(c.parent).draftNode >= 0) frontier.add(c);
        }
        return frontier;
    }

    private Proposal select(List<Candidate> all, int budget) {
        List<Candidate> ranked = ranked(all);
        List<Candidate> chosen = new ArrayList<>(ranked.subList(0, Math.min(budget, ranked.size())));
        chosen.sort(Comparator.comparingInt((Candidate c) -> c.depth).thenComparingInt(c -> c.id));
        DraftTree tree = new DraftTree(all.get(0).token);
        Map<Integer, Integer> treeIndex = new HashMap<>();
        treeIndex.put(0, 0);
        List<Integer> draftNodes = new ArrayList<>();
        draftNodes.add(all.get(0).draftNode);
        for (Candidate c : chosen) {
            Integer parent = treeIndex.get(c.parent);
            if (parent == null) continue; // only if a parent lost a tie at the budget edge
            treeIndex.put(c.id, tree.add(parent, c.token, c.origin, null));
            draftNodes.add(c.draftNode);
        }
        return new Proposal(tree, draftNodes.stream().mapToInt(Integer::intValue).toArray());
    }
}

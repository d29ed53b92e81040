package ssd.decoder.decoding;

import it.unimi.dsi.fastutil.ints.IntArrays;
import ssd.decoder.cache.KVCache;
import ssd.decoder.forward.Forward;
import ssd.decoder.forward.Readout;
import ssd.decoder.forward.ReadoutRows;
import ssd.decoder.ngram.KatzTrigram;

import java.util.Arrays;
import java.util.List;

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
 * <p>The batch is the root plus the most probable revealed candidates; path probability never rises along a path, so
 * that set is a tree. With a fixed budget it holds {@code treeBudget - 1} of them after at most {@code maxDepth}
 * levels. With {@link StagedConfig#autoBudget()} the round weighs measured costs ({@link RoundCosts}) against the
 * expected accepted tokens, the sum of the candidates' path probabilities (each approximates the chance the oracle
 * accepts that node, as in EAGLE-2's dynamic trees; Sequoia sizes trees by the same expectation against a
 * hardware cost curve): it drafts another level only while that is expected to raise tokens per millisecond, and
 * sends the prefix of the ranking that maximises expected tokens per millisecond of the whole round.
 *
 * <p>All bookkeeping is in primitive arrays reused from round to round.
 */
final class TreeProposer implements Proposer {
    /** How many of a draft row's most probable tokens cross to the host: the top-m children and n-gram lookups. */
    static final int SCORED_WIDTH = 32;

    private final Forward draft;
    private final KatzTrigram ngram;
    private final StagedConfig config;
    private RoundCosts costs;

    // Candidates of the current round, by id (0 = the root).
    private int count;
    private int[] token = new int[256], parent = new int[256], depth = new int[256], draftNode = new int[256];
    private int[] firstChild = new int[256], nextSibling = new int[256];
    private TokenOrigin[] origin = new TokenOrigin[256];
    private double[] pathProb = new double[256];
    private int[] ranked = new int[256];
    private int rankedCount;
    // One draft forward's rows: tokens, parents among the draft's pending nodes, candidate ids (-1 for backlog).
    private final int[] batchTokens, batchParents, batchCandidates;
    private int batchRows;
    /** The draft cache's pending count when this level's forward began: its rows' pending indices start there. */
    private int pendingBase;
    private final int[] history1 = new int[1], history2 = new int[2];

    TreeProposer(Forward draft, KatzTrigram ngram, StagedConfig config) {
        this.draft = draft;
        this.ngram = config.ngramLookahead() > 0 ? ngram : null;
        this.config = config;
        this.costs = RoundCosts.nominal();
        int rows = config.beamWidth() * (1 + config.ngramLookahead()) + 2;
        batchTokens = new int[rows + 64];
        batchParents = new int[rows + 64];
        batchCandidates = new int[rows + 64];
    }

    /** Replaces the nominal costs auto budgets weigh with measured ones (see {@link RoundCosts}). */
    void useCosts(RoundCosts measured) {
        this.costs = measured;
    }

    RoundCosts costs() {
        return costs;
    }

    /** What a draft level reads back: each row's top {@link #SCORED_WIDTH} (or more children) under the ranking. */
    private Readout readout(SamplingConfig sampling) {
        return DraftScores.readout(sampling, Math.max(SCORED_WIDTH, config.children()));
    }

    @Override
    public List<Readout> draftReadouts(SamplingConfig sampling) {
        return List.of(readout(sampling));
    }

    /**
     * With an auto budget: times, on this device, the oracle's batches up to the budget and the draft's levels, each
     * with the readout a round reads back.
     */
    @Override
    public void measureCosts(Forward oracle, SamplingConfig sampling) {
        if (!config.autoBudget()) return;
        int levelRows = config.beamWidth() * (1 + config.ngramLookahead()) + 2;
        useCosts(new RoundCosts(RoundCosts.measure(oracle, oracleScratch(), config.treeBudget(), 128, 5, OracleScores.readout(sampling)),
                RoundCosts.measure(draft, draftScratch(), levelRows, 128, 5, readout(sampling))));
    }

    @Override
    public int oracleScratch() {
        return config.treeBudget();
    }

    @Override
    public int draftScratch() {
        return config.maxDepth() * config.beamWidth() * (1 + config.ngramLookahead()) + config.maxDepth() + 2;
    }

    /** @param maxDepth deepest proposal worth making this round (context room, tokens left to emit) */
    @Override
    public Proposal propose(KVCache draftCache, TokenSequence seq, int maxDepth, Sampler sampler, DecodeStats stats) {
        count = 0;
        int root = newCandidate(-1, seq.last(), TokenOrigin.ORACLE);
        pathProb[root] = 1.0;
        int[] backlog = seq.backlog(draftCache.length());
        int budget = config.treeBudget() - 1;
        int depthLimit = Math.min(maxDepth, draftRoom(draftCache, backlog.length));
        int[] frontier = new int[config.beamWidth()];
        int frontierSize = depthLimit > 0 ? 1 : 0;
        frontier[0] = root;
        double draftMs = 0;
        for (int level = 0; level < config.maxDepth() && frontierSize > 0; level++) {
            batchRows = 0;
            pendingBase = draftCache.pendingCount();
            if (level == 0) {
                int prev = -1;
                for (int i = 0; i < backlog.length; i++) prev = addRow(backlog[i], prev, i == backlog.length - 1 ? root : -1);
                draftNode[root] = prev;
                addNgramChain(root, seq, depthLimit, stats);
            } else {
                for (int f = 0; f < frontierSize; f++) {
                    int c = frontier[f];
                    draftNode[c] = addRow(token[c], draftNode[parent[c]], c);
                    addNgramChain(c, seq, depthLimit, stats);
                }
            }
            int rows = batchRows;
            long t0 = System.nanoTime();
            ReadoutRows read = draft.score(draftCache, Arrays.copyOf(batchTokens, rows), Arrays.copyOf(batchParents, rows), readout(sampler.config()));
            stats.draftForward(read.stats(), System.nanoTime() - t0);
            DraftScores scores = DraftScores.of(read);
            for (int row = 0; row < rows; row++) if (batchCandidates[row] >= 0) reveal(batchCandidates[row], scores, row, depthLimit);
            draftMs += costs.draftLevelMs(rows);
            rank();
            frontierSize = nextFrontier(frontier, budget);
            if (config.autoBudget() && frontierSize > 0 && !anotherLevelPays(frontier, frontierSize, budget, draftMs)) break;
        }
        return select(config.autoBudget() ? bestPrefix(budget, draftMs) : Math.min(budget, rankedCount));
    }

    private int draftRoom(KVCache draftCache, int backlogLength) {
        // The root sits at position length + backlog - 1 in the draft; a proposal at depth d at that + d.
        return draft.model().config().nPositions() - 1 - (draftCache.length() + backlogLength - 1);
    }

    private int newCandidate(int parentId, int tok, TokenOrigin from) {
        if (count == token.length) grow();
        int id = count++;
        token[id] = tok;
        parent[id] = parentId;
        depth[id] = parentId < 0 ? 0 : depth[parentId] + 1;
        origin[id] = from;
        pathProb[id] = Double.NaN; // known once the draft has scored the parent
        draftNode[id] = -1;        // pending index in the draft cache once the draft has read this token
        firstChild[id] = -1;
        nextSibling[id] = -1;
        if (parentId >= 0) {
            nextSibling[id] = firstChild[parentId];
            firstChild[parentId] = id;
        }
        return id;
    }

    private void grow() {
        int c = token.length * 2;
        token = Arrays.copyOf(token, c);
        parent = Arrays.copyOf(parent, c);
        depth = Arrays.copyOf(depth, c);
        draftNode = Arrays.copyOf(draftNode, c);
        firstChild = Arrays.copyOf(firstChild, c);
        nextSibling = Arrays.copyOf(nextSibling, c);
        origin = Arrays.copyOf(origin, c);
        pathProb = Arrays.copyOf(pathProb, c);
        ranked = Arrays.copyOf(ranked, c);
    }

    private int childWithToken(int c, int tok) {
        for (int x = firstChild[c]; x >= 0; x = nextSibling[x]) if (token[x] == tok) return x;
        return -1;
    }

    /** Adds a row to this level's draft forward; returns its pending index in the draft cache. */
    private int addRow(int tok, int parentPending, int candidate) {
        if (batchRows == batchTokens.length) throw new IllegalStateException("a draft level of more than " + batchRows + " rows");
        batchTokens[batchRows] = tok;
        batchParents[batchRows] = parentPending;
        batchCandidates[batchRows] = candidate;
        return pendingBase + batchRows++;
    }

    /** Below {@code from}, the n-gram's greedy chain, added to the batch so the draft scores it in the same forward. */
    private void addNgramChain(int from, TokenSequence seq, int depthLimit, DecodeStats stats) {
        if (ngram == null) return;
        int[] history = historyOf(from, seq);
        int prev = from;
        for (int j = 0; j < config.ngramLookahead() && depth[prev] + 1 < depthLimit; j++) {
            long t0 = System.nanoTime();
            int tok = ngram.topM(history, 1).tokens()[0];
            stats.ngramQueries(1, System.nanoTime() - t0);
            if (childWithToken(prev, tok) >= 0) break;
            int c = newCandidate(prev, tok, TokenOrigin.NGRAM);
            draftNode[c] = addRow(tok, draftNode[prev], c);
            history2[0] = history[history.length - 1];
            history2[1] = tok;
            history = history2;
            prev = c;
        }
    }

    /** The last two tokens ending at {@code node} (through the tree, then the settled sequence; one at the very start). */
    private int[] historyOf(int node, TokenSequence seq) {
        if (parent[node] >= 0) {
            history2[0] = token[parent[node]];
            history2[1] = token[node];
            return history2;
        }
        // The root is the sequence's newest token.
        if (seq.size() < 2) {
            history1[0] = token[node];
            return history1;
        }
        history2[0] = seq.tokenAt(seq.size() - 2);
        history2[1] = token[node];
        return history2;
    }

    /** Scores the children of a candidate the draft just read: its top-m, and any n-gram child already in the tree. */
    private void reveal(int c, DraftScores scores, int row, int depthLimit) {
        if (depth[c] >= depthLimit) return;
        int m = Math.min(config.children(), scores.width());
        for (int j = 0; j < m; j++) {
            int tok = scores.token(row, j);
            if (childWithToken(c, tok) < 0) newCandidate(c, tok, TokenOrigin.DRAFT);
        }
        for (int x = firstChild[c]; x >= 0; x = nextSibling[x]) {
            if (Double.isNaN(pathProb[x])) pathProb[x] = pathProb[c] * scores.prob(row, token[x]);
        }
    }

    /** Every scored candidate but the root, best first: path probability, then shallower, then older. */
    private void rank() {
        rankedCount = 0;
        for (int id = 1; id < count; id++) if (!Double.isNaN(pathProb[id])) ranked[rankedCount++] = id;
        IntArrays.quickSort(ranked, 0, rankedCount, (a, b) -> {
            int byProb = Double.compare(pathProb[b], pathProb[a]);
            if (byProb != 0) return byProb;
            if (depth[a] != depth[b]) return Integer.compare(depth[a], depth[b]);
            return Integer.compare(a, b);
        });
    }

    /** Up to beamWidth unexpanded candidates among those that would make the final batch as it stands now. */
    private int nextFrontier(int[] frontier, int budget) {
        int n = 0;
        for (int i = 0; i < Math.min(budget, rankedCount) && n < frontier.length; i++) {
            int c = ranked[i];
            if (draftNode[c] < 0 && draftNode[parent[c]] >= 0) frontier[n++] = c;
        }
        return n;
    }

    /**
     * Whether one more level is expected to raise tokens per millisecond: its children would add at most the
     * frontier's path probability (each frontier node's mass spread over its children), displacing the weakest
     * candidates of a full budget, for the cost of one more draft forward.
     */
    private boolean anotherLevelPays(int[] frontier, int frontierSize, int budget, double draftMs) {
        int kept = Math.min(budget, rankedCount);
        double now = expectedTokens(kept);
        double gain = 0;
        for (int f = 0; f < frontierSize; f++) gain += pathProb[frontier[f]];
        // New candidates push out the weakest of a full batch.
        int pushedOut = Math.max(0, kept + config.children() * frontierSize - budget);
        for (int i = kept - 1; i >= 0 && pushedOut > 0; i--, pushedOut--) gain -= pathProb[ranked[i]];
        int rowsNext = frontierSize * (1 + config.ngramLookahead());
        double before = now / (draftMs + costs.oracleMs(kept + 1));
        double after = (now + Math.max(0, gain)) / (draftMs + costs.draftLevelMs(rowsNext) + costs.oracleMs(budget + 1));
        return after > before;
    }

    /** 1 (the oracle's own token) plus the path probabilities of the best {@code n} candidates. */
    private double expectedTokens(int n) {
        double s = 1;
        for (int i = 0; i < n; i++) s += pathProb[ranked[i]];
        return s;
    }

    /** The number of best candidates that maximises expected tokens per millisecond of the round (cost by batch bucket). */
    private int bestPrefix(int budget, double draftMs) {
        int most = Math.min(budget, rankedCount);
        int best = 0;
        double bestRate = -1, sum = 1;
        for (int n = 0; n <= most; n++) {
            if (n > 0) sum += pathProb[ranked[n - 1]];
            // Within a bucket the cost is flat: only a bucket's largest size (or the last) can be best.
            boolean candidate = n == most || Integer.bitCount(n + 1) == 1;
            if (!candidate) continue;
            double rate = sum / (draftMs + costs.oracleMs(n + 1));
            if (rate > bestRate) {
                bestRate = rate;
                best = n;
            }
        }
        return best;
    }

    /** The root and the best {@code n} candidates, as the oracle's tree (parents before children). */
    private Proposal select(int n) {
        int[] chosen = Arrays.copyOf(ranked, n);
        IntArrays.quickSort(chosen, 0, n, (a, b) -> depth[a] != depth[b] ? Integer.compare(depth[a], depth[b]) : Integer.compare(a, b));
        DraftTree tree = new DraftTree(token[0], n + 1);
        int[] treeIndex = new int[count];
        Arrays.fill(treeIndex, 0, count, -1);
        treeIndex[0] = 0;
        int[] draftNodes = new int[n + 1];
        draftNodes[0] = draftNode[0];
        for (int c : chosen) {
            int p = treeIndex[parent[c]];
            if (p < 0) continue; // only if a parent lost a tie at the budget edge
            int node = tree.add(p, token[c], origin[c], null);
            treeIndex[c] = node;
            draftNodes[node] = draftNode[c];
        }
        return new Proposal(tree, Arrays.copyOf(draftNodes, tree.size()));
    }
}

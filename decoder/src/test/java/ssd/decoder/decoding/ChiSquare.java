package ssd.decoder.decoding;

/** Pearson's chi-square goodness of fit, with the p-value from the regularized upper incomplete gamma function. */
final class ChiSquare {
    private ChiSquare() {
    }

    record Result(double statistic, int degreesOfFreedom, double pValue, int bins) {
    }

    /** Bins with an expected count below 5 are pooled into one, as the test requires. */
    static Result test(double[] probabilities, long[] observed) {
        long n = 0;
        for (long o : observed) n += o;
        double stat = 0, pooledExpected = 0, pooledObserved = 0;
        int bins = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double e = probabilities[i] * n;
            if (e >= 5) {
                stat += (observed[i] - e) * (observed[i] - e) / e;
                bins++;
            } else {
                pooledExpected += e;
                pooledObserved += observed[i];
            }
        }
        if (pooledExpected > 0) {
            stat += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
            bins++;
        }
        int df = bins - 1;
        return new Result(stat, df, upperRegularizedGamma(df / 2.0, stat / 2.0), bins);
    }

    /** Q(a, x) = Gamma(a, x) / Gamma(a) (Numerical Recipes: series for x < a + 1, continued fraction otherwise). */
    static double upperRegularizedGamma(double a, double x) {
        if (x <= 0) return 1.0;
        double lnGammaA = lnGamma(a);
        if (x < a + 1) {
            double sum = 1.0 / a, term = sum;
            for (int k = 1; k < 10_000; k++) {
                term *= x / (a + k);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
            }
            return 1.0 - sum * Math.exp(-x + a * Math.log(x) - lnGammaA);
        }
        double b = x + 1 - a, c = 1.0 / 1e-300, d = 1.0 / b, h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < 1e-300) d = 1e-300;
            c = b + an / c;
            if (Math.abs(c) < 1e-300) c = 1e-300;
            d = 1.0 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1.0) < 1e-15) break;
        }
        return Math.exp(-x + a * Math.log(x) - lnGammaA) * h;
    }

    /** Lanczos approximation of ln Gamma(x), x > 0. */
    static double lnGamma(double x) {
        double[] g = {676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
        x -= 1;
        double a = 0.99999999999980993;
        double t = x + 7.5;
        for (int i = 0; i < g.length; i++) a += g[i] / (x + i + 1);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}

namespace Routing.Knowledge;

/// <summary>
/// Whether two words are within a few edits of each other — insertions, deletions, substitutions and swaps of two
/// neighbours, as <c>FuzzyQuery</c> counts them — to tell whether a hit covers a mistyped word. Written here because
/// Lucene's own edit distance lives in its automata, built for matching the index's terms, not for comparing two words.
/// </summary>
public static class EditDistance
{
    public static bool Within(string a, string b, int edits)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (Math.Abs(a.Length - b.Length) > edits)
        {
            return false;
        }
        // The optimal-string-alignment distance, three rows at a time.
        var before = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowBest = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var best = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, before[j - 2] + 1);
                }
                current[j] = best;
                rowBest = Math.Min(rowBest, best);
            }
            if (rowBest > edits)
            {
                return false;
            }
            (before, previous, current) = (previous, current, before);
        }
        return previous[b.Length] <= edits;
    }
}

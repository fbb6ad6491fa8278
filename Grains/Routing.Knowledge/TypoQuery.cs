using System.Collections.Concurrent;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Lucene.Net.Util.Automaton;

namespace Routing.Knowledge;

/// <summary>
/// The near misses of an English word (docs/self-service.md, "Typos"): a <see cref="FuzzyQuery"/> — transpositions
/// counted, the first letter fixed — whose Levenshtein automata come from <see cref="Automata"/> instead of being built
/// at each search. Building them was most of what a search allocated (about 165 KB for a word of one edit, 1.3 MB for
/// one of two, and twice that, once for the title and once for the questions, against about 400 KB for all the rest of a
/// search), and they depend on the word and its edits only: neither on the field nor on the index.
/// </summary>
internal sealed class TypoQuery(Term term, int maxEdits) : FuzzyQuery(term, maxEdits, Automata.PrefixLength)
{
    /// <summary>
    /// Hands <see cref="FuzzyTermsEnum"/> the word's automata through the attribute it keeps them in between an
    /// index's segments: it builds only those it does not find there.
    /// </summary>
    protected override TermsEnum GetTermsEnum(Terms terms, AttributeSource atts)
    {
        // FuzzyQuery reads the term as it is when there is nothing to be fuzzy about, and needs no automaton then.
        if (MaxEdits > 0 && Term.Text.Length > PrefixLength)
        {
            var automata = atts.AddAttribute<FuzzyTermsEnum.ILevenshteinAutomataAttribute>().Automata;
            if (automata.Count == 0)
            {
                foreach (var automaton in Automata.Of(Term.Text, MaxEdits))
                {
                    automata.Add(automaton);
                }
            }
        }
        return base.GetTermsEnum(terms, atts);
    }

    /// <summary>
    /// The compiled Levenshtein automata of the words searched lately, in every index of this process, for 0 to their
    /// edits (what <see cref="FuzzyTermsEnum"/> builds, the same way). A <see cref="CompiledAutomaton"/> is immutable,
    /// and read by concurrent searches as an <see cref="AutomatonQuery"/>'s is. The cache is emptied when its automata
    /// have <see cref="MaxStates"/> states in all: the words customers write again and again are back in it after a
    /// few searches.
    /// </summary>
    internal static class Automata
    {
        /// <summary>The letters a near miss shares with the word before its first edit.</summary>
        public const int PrefixLength = 1;

        /// <summary>
        /// The most states kept — tens of MB (about 240 bytes a state, as estimated when the cache was made; not measured
        /// as retained): a word of four to seven letters (one edit) takes 70 to 120 states, one of eight letters or more
        /// (two edits) 750 to 1,300.
        /// </summary>
        public const int MaxStates = 100_000;

        private static readonly ConcurrentDictionary<(string Word, int Edits), CompiledAutomaton[]> Cache = new();
        private static int _states;

        /// <summary>The words (with their edits) whose automata are kept now.</summary>
        public static bool Holds(string word, int edits) => Cache.ContainsKey((word, edits));

        public static IReadOnlyList<CompiledAutomaton> Of(string word, int edits)
        {
            if (Cache.TryGetValue((word, edits), out var automata))
            {
                return automata;
            }
            automata = Build(word, edits);
            if (Volatile.Read(ref _states) >= MaxStates)
            {
                Cache.Clear();
                Volatile.Write(ref _states, 0);
            }
            if (Cache.TryAdd((word, edits), automata))
            {
                Interlocked.Add(ref _states, automata.Sum(a => a.RunAutomaton.Count));
            }
            return automata;
        }

        /// <summary>As <c>FuzzyTermsEnum.InitAutomata</c> builds them: the prefix as is, then the rest within 0, 1… edits.</summary>
        private static CompiledAutomaton[] Build(string word, int edits)
        {
            var prefix = Math.Min(char.IsSurrogatePair(word, 0) ? 2 : 1, word.Length);
            var builder = new LevenshteinAutomata(word[prefix..], withTranspositions: true);
            var automata = new CompiledAutomaton[edits + 1];
            for (var i = 0; i <= edits; i++)
            {
                var automaton = BasicOperations.Concatenate(BasicAutomata.MakeString(word[..prefix]), builder.ToAutomaton(i));
                automata[i] = new CompiledAutomaton(automaton, finite: true, simplify: false);
            }
            return automata;
        }
    }
}

using CsvHelper;

namespace Routing.Api.Knowledge;

/// <summary>One article read from an import, with where it was (a CSV row or a Markdown heading's line) for errors.</summary>
public sealed record ImportedArticle(int Line, string? Id, ArticleRequest Article);

/// <summary>
/// Reads an import of knowledge articles (docs/self-service.md, "Importing articles"): CSV with a header row, or the
/// Markdown layout below. What it reads is checked afterwards exactly as a <c>PUT</c> of each article would be.
/// </summary>
public static class KnowledgeImport
{
    /// <summary>The CSV columns; <c>questions</c> and <c>tags</c> hold several values separated by <c>|</c>.</summary>
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "id",
        "title",
        "questions",
        "answer",
        "topic",
        "language",
        "tags",
        "enabled",
    ];

    /// <summary>The lines of a Markdown article's header, <c>key: value</c>.</summary>
    private static readonly string[] MarkdownKeys = ["id", "language", "topic", "tags", "enabled"];

    /// <summary>The articles of a CSV import (RFC 4180: quoted fields may hold commas, quotes and line breaks).</summary>
    public static IReadOnlyList<ImportedArticle> FromCsv(string text)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            TrimWhitespace = true,
            AllowLineBreaksInQuotes = true,
            TrackLineNumbers = true,
        };
        var articles = new List<ImportedArticle>();
        if (text.Trim().Length == 0)
        {
            return articles;
        }
        using var csv = CsvReader.FromText(text, options);
        var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = new[] { "id", "title", "answer", "language" }.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException(
                $"The CSV header lacks the column(s) {string.Join(", ", missing)}; its columns are {string.Join(", ", CsvColumns)}."
            );
        }
        while (csv.Read())
        {
            string? Field(string name) => header.Contains(name) && csv.GetStringOrNull(name) is { Length: > 0 } value ? value.Trim() : null;
            var line = (int)csv.LineNumber;
            articles.Add(
                new ImportedArticle(
                    line,
                    Field("id"),
                    new ArticleRequest(
                        Field("title"),
                        Values(Field("questions"), '|'),
                        Field("answer"),
                        Field("topic"),
                        Field("language"),
                        Values(Field("tags"), '|'),
                        Enabled(Field("enabled"), line),
                        null
                    )
                )
            );
        }
        return articles;
    }

    /// <summary>
    /// The articles of a Markdown import. Each starts at a <c>## </c> heading, its title; then lines <c>key: value</c>
    /// (<c>id</c>, required, <c>language</c>, <c>topic</c>, <c>tags</c> separated by commas, <c>enabled</c>); then the
    /// question variants as a list (<c>- </c>); then the answer, as written, up to the next <c>## </c> heading.
    /// Anything before the first heading (a <c># </c> title, an introduction) is not an article. Written by hand: the
    /// layout is ours and the answer is kept as written, which a Markdown parser would have to put back together.
    /// </summary>
    public static IReadOnlyList<ImportedArticle> FromMarkdown(string text)
    {
        var articles = new List<ImportedArticle>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("## ", StringComparison.Ordinal))
            {
                continue;
            }
            var start = i + 1;
            var title = lines[i][3..].Trim();
            var header = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var questions = new List<string?>();
            var answer = new List<string>();
            var j = i + 1;
            for (; j < lines.Length && !lines[j].StartsWith("## ", StringComparison.Ordinal); j++)
            {
                var line = lines[j];
                if (answer.Count == 0 && questions.Count == 0 && HeaderLine(line) is var (key, value))
                {
                    header[key] = value;
                }
                else if (answer.Count == 0 && line.StartsWith("- ", StringComparison.Ordinal))
                {
                    questions.Add(line[2..].Trim());
                }
                else if (answer.Count > 0 || line.Trim().Length > 0)
                {
                    answer.Add(line);
                }
            }
            i = j - 1;
            articles.Add(
                new ImportedArticle(
                    start,
                    header.GetValueOrDefault("id"),
                    new ArticleRequest(
                        title,
                        questions,
                        answer.Count == 0 ? null : string.Join('\n', answer).Trim(),
                        header.GetValueOrDefault("topic"),
                        header.GetValueOrDefault("language"),
                        Values(header.GetValueOrDefault("tags"), ','),
                        Enabled(header.GetValueOrDefault("enabled"), start),
                        null
                    )
                )
            );
        }
        return articles;
    }

    private static (string Key, string Value)? HeaderLine(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }
        var key = line[..colon].Trim();
        return MarkdownKeys.Contains(key, StringComparer.OrdinalIgnoreCase) ? (key, line[(colon + 1)..].Trim()) : null;
    }

    private static List<string?>? Values(string? text, char separator) =>
        text is null ? null : [.. text.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary><c>true</c>/<c>false</c> (also <c>yes</c>/<c>no</c>, <c>1</c>/<c>0</c>); empty is the default, enabled.</summary>
    private static bool? Enabled(string? text, int line) =>
        text?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "true" or "yes" or "1" => true,
            "false" or "no" or "0" => false,
            _ => throw new FormatException($"Line {line}: 'enabled' is true or false, not '{text}'."),
        };
}

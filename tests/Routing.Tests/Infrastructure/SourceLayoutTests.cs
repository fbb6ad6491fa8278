namespace Routing.Tests.Infrastructure;

/// <summary>
/// Every C# line fits the width <c>.editorconfig</c> sets (<c>max_line_length</c>). CSharpier lays out the code to that
/// width (the suite runs <c>dotnet csharpier check .</c>), but it leaves comments and string literals as written; this
/// checks them too, in characters, as an editor shows them.
/// </summary>
public sealed class SourceLayoutTests
{
    [Fact]
    public void NoCSharpLineIsWiderThanTheEditorConfigSays()
    {
        var root = Repository.Root;
        var width = MaxLineLength(File.ReadAllLines(Path.Combine(root, ".editorconfig")));
        var sources = Directory
            .EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(root, path)));

        var wide = sources
            .SelectMany(path =>
                File.ReadLines(path).Select((line, i) => (Path: Path.GetRelativePath(root, path), Line: i + 1, line.Length))
            )
            .Where(l => l.Length > width)
            .Select(l => $"{l.Path}:{l.Line} ({l.Length} characters)")
            .ToList();

        Assert.True(wide.Count == 0, $"{wide.Count} lines wider than {width}:\n{string.Join("\n", wide.Take(50))}");
    }

    private static int MaxLineLength(string[] editorConfig)
    {
        var inCSharp = false;
        foreach (var raw in editorConfig)
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inCSharp = line == "[*.cs]";
            }
            else if (inCSharp && line.StartsWith("max_line_length", StringComparison.Ordinal))
            {
                return int.Parse(line.Split('=')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException(".editorconfig sets no max_line_length for [*.cs].");
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or ".git");
}

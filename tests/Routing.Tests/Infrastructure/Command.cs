using System.Diagnostics;

namespace Routing.Tests.Infrastructure;

/// <summary>Runs a command line tool (dotnet, npm) to its end; anything but success fails the test with what it said.</summary>
public static class Command
{
    public static async Task<string> RunAsync(
        string file,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null
    )
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {await output}{await errors}");
        return await output;
    }
}

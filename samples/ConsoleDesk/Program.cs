using ConsoleDesk;

// dotnet run --project samples/ConsoleDesk -- --server http://localhost:5080 --user ann --password '…'
DeskOptions options;
try
{
    options = DeskOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 64; // EX_USAGE
}
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    return await TerminalDesk.RunAsync(options, Console.In, Console.Out, stop.Token);
}
catch (OperationCanceledException)
{
    return 130;
}

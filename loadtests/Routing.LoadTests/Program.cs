using Routing.LoadTests;

return await LoadCommandLine.Create(args, LoadCommand.RunAsync).Parse(args).InvokeAsync();

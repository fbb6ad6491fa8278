using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Api.Auth;

/// <summary>
/// Creates <c>Routing:Auth:FirstAdmin</c> at start when that account does not exist yet — the way into a new
/// workspace. An existing account is left as it is (its password may have changed since).
/// </summary>
public sealed partial class FirstAdmin(IGrainFactory grains, IOptions<AuthOptions> options, ILogger<FirstAdmin> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var admin = options.Value.FirstAdmin;
        if (string.IsNullOrEmpty(admin.UserName) && string.IsNullOrEmpty(admin.Password))
        {
            return;
        }
        var workspace = admin.Workspace ?? GrainKeys.DefaultWorkspace;
        if (!RequestValidator.IsId(workspace) || !RequestValidator.IsId(admin.UserName) || string.IsNullOrEmpty(admin.Password))
        {
            throw new InvalidOperationException(
                "Routing:Auth:FirstAdmin needs a valid Workspace (default 'default'), UserName and Password."
            );
        }
        var account = grains.Grain<IAccountGrain>(GrainKeys.For(workspace, admin.UserName!));
        if (await account.GetAsync() is null)
        {
            await account.SetAsync(new AccountSetup(StaffRoles.Admin, null, admin.Password));
            LogCreated(logger, admin.UserName!, workspace);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(3102, LogLevel.Information, "Created the first admin '{UserName}' of workspace '{Workspace}'")]
    private static partial void LogCreated(ILogger logger, string userName, string workspace);
}

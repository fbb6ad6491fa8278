using Microsoft.AspNetCore.Http;
using Routing.Contracts;

namespace Routing.Api;

/// <summary>
/// The workspace a request acts in. It comes from the caller's credential, never from the request body; until
/// authentication is configured every request is in <see cref="GrainKeys.DefaultWorkspace"/>.
/// </summary>
public static class Workspace
{
    public static string Of(HttpContext context) => GrainKeys.DefaultWorkspace;

    public static string Key(HttpContext context, string id) => GrainKeys.For(Of(context), id);
}

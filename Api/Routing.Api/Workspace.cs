using Microsoft.AspNetCore.Http;
using Routing.Api.Auth;
using Routing.Contracts;

namespace Routing.Api;

/// <summary>
/// The workspace a request acts in. It comes from the caller's credential (<see cref="Caller"/>), never from the
/// request's body or path, so another workspace's ids simply do not exist for the caller (404).
/// </summary>
public static class Workspace
{
    public static string Of(HttpContext context) => Caller.Of(context).Workspace;

    public static string Key(HttpContext context, string id) => GrainKeys.For(Of(context), id);
}

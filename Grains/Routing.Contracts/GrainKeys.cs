namespace Routing.Contracts;

/// <summary>
/// Grain keys carry the workspace: <c>{workspace}/{id}</c>. Ids never contain '/', so the split is unambiguous,
/// and a key built for one workspace can never address another's grain.
/// </summary>
public static class GrainKeys
{
    /// <summary>The workspace used when no authentication is configured (local development).</summary>
    public const string DefaultWorkspace = "default";

    public static string For(string workspace, string id) => $"{workspace}/{id}";

    public static (string Workspace, string Id) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"Grain key '{key}' is not of the form workspace/id.", nameof(key));
        }
        return (key[..slash], key[(slash + 1)..]);
    }
}

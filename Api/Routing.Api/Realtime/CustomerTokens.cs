using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;

namespace Routing.Api.Realtime;

/// <summary>
/// The token a customer's widget joins its own conversation with: <c>{workspace}/{conversationId}</c>, signed
/// with HMAC-SHA256. The key is <c>Routing:CustomerTokenKey</c> (base64, at least 32 bytes), or one generated
/// once into <c>customer-token.key</c> in the data directory; every silo of a cluster must share it.
/// </summary>
public sealed class CustomerTokens
{
    private readonly byte[] _key;

    public CustomerTokens(IConfiguration configuration)
    {
        if (configuration["Routing:CustomerTokenKey"] is { Length: > 0 } configured)
        {
            _key = Convert.FromBase64String(configured);
            if (_key.Length < 32)
            {
                throw new InvalidOperationException("Routing:CustomerTokenKey must be at least 32 bytes, base64-encoded.");
            }
            return;
        }
        var directory = Path.GetFullPath(configuration["Routing:DataDirectory"] is { Length: > 0 } d ? d : "data");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "customer-token.key");
        if (!File.Exists(file))
        {
            try
            {
                using var created = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
                created.Write(RandomNumberGenerator.GetBytes(32));
            }
            catch (IOException) when (File.Exists(file))
            {
                // another silo on the same directory wrote it first
            }
        }
        _key = File.ReadAllBytes(file);
    }

    public string Issue(string workspace, string conversationId)
    {
        var payload = Encoding.UTF8.GetBytes($"{workspace}/{conversationId}");
        return $"{WebEncoders.Base64UrlEncode(payload)}.{WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, payload))}";
    }

    /// <summary>The conversation key the token was issued for, if its signature is good.</summary>
    public bool TryRead(string? token, out string conversationKey)
    {
        conversationKey = "";
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (token is null || dot <= 0)
        {
            return false;
        }
        try
        {
            var payload = WebEncoders.Base64UrlDecode(token[..dot]);
            var signature = WebEncoders.Base64UrlDecode(token[(dot + 1)..]);
            if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, payload)))
            {
                return false;
            }
            conversationKey = Encoding.UTF8.GetString(payload);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

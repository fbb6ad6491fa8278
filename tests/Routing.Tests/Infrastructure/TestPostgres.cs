using Npgsql;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// The throwaway PostgreSQL server of a test run: <c>ROUTING_TEST_POSTGRES</c> holds its connection string, set by
/// <c>./test.sh</c> (which starts the server with <c>scripts/postgres.sh</c>). Each user gets a database of its own,
/// created empty and dropped afterwards.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "ROUTING_TEST_POSTGRES";

    /// <summary>The server's connection string; a test needing PostgreSQL fails, saying how to get one, when it is not set.</summary>
    public static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: run the suite with ./test.sh, which starts a throwaway PostgreSQL, or set it to a server's "
                    + $"connection string."
            );

    /// <summary>Creates an empty database and answers its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "routing_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(Server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops the database (closing what still uses it).</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

namespace Routing.Ledger;

/// <summary>
/// How a cluster ledger's writer learns whether a batch committed when the answer to its COMMIT was lost with the
/// connection (<see cref="CommitOutcomeUnknownException"/>). Every batch stores a mark — its writer and number — in
/// its own transaction, so the mark is there exactly when the batch committed; the next batch removes the mark of the
/// one before, so a writer keeps about one. A transaction id would not do: one whose commit never reached the log may
/// be handed out again after a crash.
/// </summary>
internal static class CommitMarks
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS ledger_commit_marks (
            writer integer NOT NULL,
            batch bigint NOT NULL,
            PRIMARY KEY (writer, batch));
        """;

    public const string Mark = "INSERT INTO ledger_commit_marks (writer, batch) VALUES ($1, $2)";

    /// <summary>Removes a mark; one row removed means its batch committed.</summary>
    public const string Unmark = "DELETE FROM ledger_commit_marks WHERE writer = $1 AND batch = $2";

    /// <summary>The session's identity: its server process and when it started (a process id alone may be reused).</summary>
    public const string Session = "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()";

    /// <summary>
    /// Ends the old session if it still runs — the connection failed, not the server — and waits up to 5 s for it to
    /// go, so that its transaction can no longer commit. Answers false if it did not go in time, nothing if it was gone.
    /// </summary>
    public const string EndSession = "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE pid = $1 AND backend_start = $2";
}

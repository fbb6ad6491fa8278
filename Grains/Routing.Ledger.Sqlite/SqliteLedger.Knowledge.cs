using Microsoft.Data.Sqlite;
using Routing.Contracts.Knowledge;

namespace Routing.Ledger;

// The knowledge base's reads and the agents' saved replies (docs/self-service.md), on the pooled read connections like every other read.
public sealed partial class SqliteLedger
{
    public Task<KnowledgeArticle?> GetArticleAsync(string workspace, string articleId, CancellationToken cancellationToken = default) =>
        Read(
            cancellationToken,
            connection =>
            {
                using var command = Command(connection, SqliteSchema.SelectArticle, workspace, articleId);
                using var row = command.ExecuteReader();
                return row.Read() ? LedgerRows.Article(row) : null;
            }
        );

    public Task<IReadOnlyList<KnowledgeArticle>> ListArticlesAsync(string workspace, CancellationToken cancellationToken = default) =>
        Read(
            cancellationToken,
            connection =>
            {
                using var command = Command(connection, SqliteSchema.SelectArticles, workspace, id: null);
                return Articles(command);
            }
        );

    public Task<IReadOnlyList<KnowledgeArticle>> ListArticleHistoryAsync(
        string workspace,
        string articleId,
        CancellationToken cancellationToken = default
    ) =>
        Read(
            cancellationToken,
            connection =>
            {
                using var command = Command(connection, SqliteSchema.SelectArticleHistory, workspace, articleId);
                return Articles(command);
            }
        );

    public Task<KnowledgeChanges> ListArticlesChangedSinceAsync(
        string workspace,
        long afterStamp,
        CancellationToken cancellationToken = default
    ) =>
        Read(
            cancellationToken,
            connection =>
            {
                using var command = Command(connection, SqliteSchema.SelectArticlesChangedSince, workspace, id: null);
                command.Parameters.AddWithValue("$after", afterStamp);
                using var row = command.ExecuteReader();
                var articles = new List<KnowledgeArticle>();
                var stamp = afterStamp;
                while (row.Read())
                {
                    articles.Add(LedgerRows.Article(row));
                    stamp = row.GetInt64(1); // in stamp order: the last is the highest
                }
                return new KnowledgeChanges(articles, stamp);
            }
        );

    public Task<IReadOnlyList<SavedReply>> ListRepliesAsync(
        string workspace,
        string agentId,
        CancellationToken cancellationToken = default
    ) =>
        Read(
            cancellationToken,
            connection =>
            {
                using var command = Command(connection, SqliteSchema.SelectReplies, workspace, agentId);
                using var row = command.ExecuteReader();
                var replies = new List<SavedReply>();
                while (row.Read())
                {
                    replies.Add(LedgerRows.Reply(row));
                }
                return (IReadOnlyList<SavedReply>)replies;
            }
        );

    private static IReadOnlyList<KnowledgeArticle> Articles(SqliteCommand command)
    {
        using var row = command.ExecuteReader();
        var articles = new List<KnowledgeArticle>();
        while (row.Read())
        {
            articles.Add(LedgerRows.Article(row));
        }
        return articles;
    }
}

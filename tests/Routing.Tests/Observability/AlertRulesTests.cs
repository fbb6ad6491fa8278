namespace Routing.Tests.Observability;

/// <summary>The alert rules are valid and their unit tests (deploy/prometheus/alerts.test.yml) pass under promtool.</summary>
[Trait("Speed", "Slow")]
public sealed class AlertRulesTests
{
    [Fact]
    public void TheAlertRulesAreValid()
    {
        var (exit, output) = DeployFiles.Promtool("check", "rules", "alerts.yml");
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void TheAlertRulesFireWhenTheirTestsSayAndNotBefore()
    {
        var (exit, output) = DeployFiles.Promtool("test", "rules", "alerts.test.yml");
        Assert.True(exit == 0, output);
    }
}

namespace Routing.Contracts;

/// <summary>
/// Something in a silo that must act the moment another silo of the cluster is declared dead — before the
/// survivors' recovery wakes what the dead silo held. Registered in the silo's services; called once per death.
/// </summary>
public interface ISiloDeathListener
{
    Task SiloDiedAsync(CancellationToken cancellationToken);
}

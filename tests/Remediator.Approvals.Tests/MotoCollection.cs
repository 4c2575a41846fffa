namespace Remediator.Approvals.Tests;

/// <summary>The one moto collection of this assembly: its classes share one server and never run at the same time.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}

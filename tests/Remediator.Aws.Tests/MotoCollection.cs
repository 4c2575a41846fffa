namespace Remediator.Aws.Tests;

/// <summary>
/// The one moto collection of this test assembly: every test class that talks to moto joins it with
/// <c>[Collection(MotoCollection.Name)]</c>, so they share one server and never run at the same time
/// (each resets moto's state at its start).
/// </summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}

using Remediator.Testing;

namespace Remediator.Aws.Tests;

[CollectionDefinition(MotoCollection.Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}

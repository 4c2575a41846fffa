// The namespaces most test classes of this project read: declared once here rather than at the top of each file.
global using System.Text;
global using System.Text.Json.Nodes;
global using Remediator.Aws.Transport;
global using Remediator.Core;
global using Remediator.Guard.Tests.Support;
global using Remediator.Testing;
global using static Remediator.Guard.Tests.Support.GuardTestSupport;

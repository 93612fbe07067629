p='src/file-storage.ts'
s=open(p).read()
start=s.index("  /**\n   * Opens file `fileIndex` safely")
end=s.index("  /**\n   * Stops relying on what we wrote")
s=s[:start]+open('.scratch/openfile.txt').read()+s[end:]
start=s.index("  private async openHandle(")
end=s.index("  /** The download folder's real path")
s=s[:start]+open('.scratch/openhandle.txt').read()+s[end:]
start=s.index("  /** Creates the folders above file `fileIndex` one by one")
end=s.index("  private async realpathOrUndefined(")
s=s[:start]+open('.scratch/checkfolders.txt').read()+s[end:]
start=s.index("    const path = this.path(fileIndex);\n    try {\n      const real = await this.realpathOrUndefined(path);")
end=s.index("  async flush(")
s=s[:start]+open('.scratch/stat.txt').read()+s[end:]
s=s.replace("import { constants } from 'node:fs';","import { constants, type BigIntStats } from 'node:fs';")
open(p,'w').write(s)

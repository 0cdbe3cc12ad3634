/* ir_ldrtest.dll's resources, laid out by hand (no resource compiler in the build): an
 * RT_RCDATA (10) resource with ID 1 in language 0x409, and a resource of the named type
 * "IRDATA" named "ITEM" in LANG_NEUTRAL. Offsets inside .rsrc are section-relative; the data
 * entries' addresses are RVAs (.rva). The linker points the resource directory at .rsrc. */
        .section .rsrc, "dr"
        .p2align 2
root:                                   /* types: 1 named, 1 ID */
        .long 0, 0
        .short 0, 0, 1, 1
        .long 0x80000000 + (str_irdata - root), 0x80000000 + (dir_named - root)
        .long 10, 0x80000000 + (dir_rcdata - root)
dir_rcdata:                             /* names of RT_RCDATA: ID 1 */
        .long 0, 0
        .short 0, 0, 0, 1
        .long 1, 0x80000000 + (lang_rcdata - root)
lang_rcdata:                            /* languages: 0x409 */
        .long 0, 0
        .short 0, 0, 0, 1
        .long 0x409, data_rcdata - root
dir_named:                              /* names of IRDATA: "ITEM" */
        .long 0, 0
        .short 0, 0, 1, 0
        .long 0x80000000 + (str_item - root), 0x80000000 + (lang_named - root)
lang_named:                             /* languages: neutral */
        .long 0, 0
        .short 0, 0, 0, 1
        .long 0, data_named - root
data_rcdata:                            /* IMAGE_RESOURCE_DATA_ENTRY */
        .rva bytes_rcdata
        .long 5, 0, 0
data_named:
        .rva bytes_named
        .long 6, 0, 0
str_irdata:                             /* IMAGE_RESOURCE_DIR_STRING_U */
        .short 6
        .short 'I', 'R', 'D', 'A', 'T', 'A'
str_item:
        .short 4
        .short 'I', 'T', 'E', 'M'
        .p2align 2
bytes_rcdata:
        .ascii "hello"
        .p2align 2
bytes_named:
        .ascii "named!"
